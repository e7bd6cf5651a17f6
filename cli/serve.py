"""`mips serve`: the web application for support agents, on this machine only unless told otherwise."""

from __future__ import annotations

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default accepts connections from this machine only.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--max-upload-mb", type=click.FloatRange(min=0.01), default=5.0, show_default=True,
              help="Largest request (all files together), in MiB.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds of engine work a request may take.")
def serve(host: str, port: int, max_upload_mb: float, time_limit: float) -> None:
    """Serve the score explainer pages and the JSON API (API description at /api)."""
    import uvicorn

    from engine.web.app import create_app
    from engine.web.limits import Limits

    app = create_app(Limits(max_request_bytes=int(max_upload_mb * 1024 * 1024), seconds_per_request=time_limit))
    click.echo(f"MIPS score explainer on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
