"""The product's date and time formats, one set per language (FORMAT_MODULE_PATH).

Everything not set here (input formats, number separators) is Django's own for the
language. `WEEKDAY_DATE_FORMAT` is ours, read by `perfmgmt.web.templatetags.moments`.
"""
