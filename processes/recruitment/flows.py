"""Recruitment and training (seed 二(一), 二(二)) have no workflow of tasks: a recruitment is
published, answered and decided by the organization in the portal, each step a service
(``services``) with its audit event. The module exists so the process is wired like the others
(``engine.processes.ProcessConfig.step_titles`` reads the flows here: there are none)."""
