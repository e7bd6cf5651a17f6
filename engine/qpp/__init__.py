"""CMS QPP submissions (Submissions API JSON): read, validate against a year's reference data, derive facts.

    submission, document, name = read_submission(path)            # engine.qpp.reader
    values = validate_submission(submission, reference, document, name)   # engine.qpp.validate
    facts = derive_facts(submission, reference, values)                   # engine.qpp.measurements

Reading and validation raise `engine.errors.CaseError` listing every located problem; facts hold raw
counts and CMS's rates as exact, unrounded Decimals (the rulebook rounds).
"""
