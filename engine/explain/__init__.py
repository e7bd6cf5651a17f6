"""Plain-language explanations and text reports, rendered by Jinja2 templates from the trace."""
