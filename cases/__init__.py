"""The Kinship Django app: trees, persons, families, photos, cases, generation records, audit."""
