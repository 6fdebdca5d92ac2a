"""Charts shared by pages, PDFs and docs: one Altair definition, rendered to SVG by vl-convert."""
