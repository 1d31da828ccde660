"""Reading results and judging them: loading, per-run summaries, statistics, the comparison, the xstate model."""
