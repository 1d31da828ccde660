"""What a person reads: comparison text and e-mail, tables, plots, the HTML report."""
