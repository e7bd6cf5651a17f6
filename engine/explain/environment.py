"""The templates' jinja2 environment: jinja2's own, with the lookups a template makes most taken directly.

A template reads fields of plain mappings (summaries, records) as attributes (`m.points`), calls the
trace view's methods (`v.out(...)`) and calls macros of the templates it imports (`s.headline(...)`).
jinja2 tries an attribute of a mapping first and falls back to its key through a raised AttributeError,
checks every callable for its `pass_context`-like markers at each call, and passes a macro's arguments
through three calls; here a mapping's key is read at once when no attribute of its type has that name,
a method of a plain function or a builtin type is called at once, and a macro given exactly its
positional arguments runs at once. What a template gets is what jinja2 gives it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from types import BuiltinMethodType, FunctionType, MethodType
from typing import Any

import jinja2
from jinja2.runtime import Context, Macro
from markupsafe import Markup

from engine.expr import Record

_MAPPINGS = {kind: frozenset(dir(kind)) for kind in (dict, Record)}
"""The attribute names of the mapping types templates read: any other name is a key, as in jinja2."""
_LOOP_VARS = frozenset(("_block_vars", "_loop_vars"))
"""What a template passes to every call in a loop or block, for callables that take its context."""


class _Context(Context):
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (jinja2's names)
        """A method of a plain function (no jinja2 marker: it takes no context) or of a builtin type, or a
        macro given exactly its positional arguments, called at once as Context.call and the macro would
        call it; any other callable as Context.call does."""
        kind = type(__obj)
        if kind is Macro:
            if (len(args) != __obj._argument_count or __obj.caller or __obj.catch_kwargs or __obj.catch_varargs
                    or not _LOOP_VARS.issuperset(kwargs)):
                return super().call(__obj, *args, **kwargs)
            try:
                output = __obj._func(*args)
            except StopIteration:
                return __self.environment.undefined("value was undefined because a callable raised a"
                                                    " StopIteration exception")
            return Markup(output) if __self.eval_ctx.autoescape else output
        if kind is not BuiltinMethodType and (kind is not MethodType or type(__obj.__func__) is not FunctionType
                                              or "jinja_pass_arg" in __obj.__func__.__dict__):
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


class TemplateEnvironment(jinja2.Environment):
    """jinja2's environment, with a mapping's keys, the trace view's methods and macros reached directly."""

    context_class = _Context

    def getattr(self, obj: Any, attribute: str) -> Any:
        """jinja2's Environment.getattr: the attribute, else the key, else undefined."""
        kind = type(obj)
        if (kind is not dict and kind is not Record) or attribute in _MAPPINGS[kind]:
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals over the environment's, as jinja2 layers them, in one dict: a template that
        imports another compares their names at each render, which a dict does at once (the environment's
        globals are set before its templates are loaded, as jinja2 asks)."""
        return {**self.globals, **(d or {})}
