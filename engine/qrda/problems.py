"""Problems of a QRDA III file, each with CMS's error code, a message, and where it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import Problem


@dataclass(frozen=True)
class QrdaProblem:
    """One problem: CMS's code (the converter's ProblemCode number), what is wrong and what to do, and
    where: line and column just after the start tag of the template's templateId, the XPath of the
    element holding it, and which part of the report it is in."""

    code: int
    message: str
    line: int | None = None
    column: int | None = None
    xpath: str = ""
    context: str = ""

    def located(self, file: str) -> Problem:
        """As the engine reports problems: `file:line:column: XPATH: CMS code N: message`."""
        where = f" ({self.context})" if self.context else ""
        return Problem(file, self.line, self.column, self.xpath, f"CMS code {self.code}: {self.message}{where}")

    def cms_detail(self) -> dict[str, Any]:
        """The problem in the shape of CMS's converter error response (`details[]`)."""
        location: dict[str, Any] = {}
        if self.context:
            location["location"] = self.context
        location["path"] = self.xpath
        if self.line is not None:
            location["line"] = self.line
        if self.column is not None:
            location["column"] = self.column
        return {"errorCode": self.code, "message": self.message, "location": location}


def cms_error_report(file: str, problems: list[QrdaProblem]) -> dict[str, Any]:
    """Every problem of a file as CMS's converter answers (`{"errors": [{"sourceIdentifier", "details"}]}`)."""
    return {"errors": [{"sourceIdentifier": file, "type": "ValidationError",
                        "message": "Validation errors exist", "details": [p.cms_detail() for p in problems]}]}
