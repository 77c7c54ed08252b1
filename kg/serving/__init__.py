"""Safety pieces for kg's network services, shared by every endpoint (the SPARQL endpoint today, the web app
later): which addresses may be bound and which Host headers answered (hosts), limits on each request and the
killable worker processes that enforce them (limits, pool), and noticing a new build (freshness)."""
