"""Stage 5, make: one edition rendered, fitted and written. The edition made in memory
(edition), the resources its HTML inlines (resources), what to cut when it does not
fit (overflow), writing it (write), the work a build hands a worker (task, light) and
the worker's side of it (worker), and `briefgen check` (check). Heavy: imports
WeasyPrint, so the builder imports it only when something has to be made."""
