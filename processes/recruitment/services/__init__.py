"""Services of the recruitment process: every status change is atomic, locks its row, checks
the actor's right, makes an FSM transition, writes an audit event and notifies on commit."""
