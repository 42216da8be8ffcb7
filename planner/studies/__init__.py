"""Studies over many solves of one case: what-if comparisons and policy sweeps."""
