"""The critical-minerals sourcing planner.

Data flows one way: ``planner.workbook`` (Excel -> typed dataset) ->
``models`` (the algebra and the solver) -> ``planner.verify`` (independent
check) -> ``planner.studies`` (compare, sweep) -> ``planner.reports``
(workbooks, HTML, run facts) -> ``planner.cli``.
"""
