"""A build directory on disk: one writer at a time (lock), versions switched in one atomic step (versions), and
every part checked against the manifest when read (integrity). kg.build decides what goes in; this package
makes sure that whatever a reader sees is one whole, undamaged build."""
