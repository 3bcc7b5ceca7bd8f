from engine.processes import ProcessConfig


class ProcurementConfig(ProcessConfig):
    name = "processes.procurement"
    label = "procurement"
    verbose_name = "政府购买服务"

    default = True
    process_name = "procurement"
    process_label = "政府购买服务"
