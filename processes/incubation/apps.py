from engine.processes import ProcessConfig


class IncubationConfig(ProcessConfig):
    name = "processes.incubation"
    label = "incubation"
    verbose_name = "组织孵化"

    default = True
    process_name = "incubation"
    process_label = "组织孵化"
