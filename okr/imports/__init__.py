"""Import OKRs from a spreadsheet (CSV or XLSX), one row per key result.

``reading`` turns the uploaded bytes into rows of text (pure, no database);
``checking`` reads them against the organisation into a plan with per-row errors
(reads only); ``services`` writes a checked plan all or nothing; ``template``
builds the file to download. The pages (``views``) and the API (``api``) share them.
"""
