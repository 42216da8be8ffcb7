"""The critical-minerals sourcing planner.

Data flows one way: ``planner.workbook`` (Excel -> typed dataset) ->
``models`` (the algebra and the solver) -> ``planner.verify`` (independent
check) -> ``planner.studies`` (compare, sweep) -> ``planner.reports``
(workbooks, HTML, run facts) -> ``planner.cli``.
"""

import time as _time

# When the process reached the planner: the run facts count imports from here, and a command's
# printed total is its wall time from here.
STARTED = _time.perf_counter()
