"""Documents (văn bản): symbols, types, references, dates and accent-insensitive text.

The modules here are pure domain code with no models: ``doctypes`` (the catalogue of
document types), ``symbols`` (số, ký hiệu), ``references`` (documents cited in a text),
``vndate`` (Vietnamese dates) and ``textfold`` (folding for search).
"""
