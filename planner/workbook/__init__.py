"""The planning workbook: its schema, reading it into a typed dataset (safely, every
problem located by cell), validation, what-if scenarios, and writing input workbooks."""
