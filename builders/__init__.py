"""The build pipeline: sources → curation → checked records → tables → release files."""
