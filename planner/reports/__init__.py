"""What a run writes: the plan workbook, the compare and sweep reports (xlsx and HTML),
the run facts, and the atomic file writes that put them in place together."""
