"""QRDA Category III input: a stage in front of QPP JSON scoring, reading CMS's XML as CMS's converter does.

    conversion = convert_file(path)        # engine.qrda.convert: read, decode, validate, encode
    conversion.submission                  # the QPP JSON (a dict), or None when there are problems
    conversion.problems                    # CMS-coded problems, each with line, column and XPath

Reading is safe (no DTD, no entities, no network, size and depth limits); the year's mapping
(templates, paths, program names, CMS codes) is data in `rulebooks/YEAR/qrda.yaml`.
"""
