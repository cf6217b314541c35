"""Video fingerprinting bench: Sentinela beside Meta's ``vpdq`` reference (see __main__)."""
