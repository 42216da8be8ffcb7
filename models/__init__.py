"""Optimization models of the sourcing planner (Pyomo, solved with HiGHS).

``models.build.build_model`` assembles the mixed-integer sourcing model from a
``models.dataset.PlanningData``; ``models.solve`` solves it and extracts a
``models.plan.Plan``.  See FORMULATION.md for the algebra.
"""
