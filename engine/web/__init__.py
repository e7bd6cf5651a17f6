"""The web application: pages for support agents and a JSON API over the same engine (`mips serve`)."""
