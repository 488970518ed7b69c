/* compute_event_cost=N: trace events' cost in the guest (apps/compute/event_cost.c). */
#ifndef APPS_COMPUTE_EVENT_COST_H
#define APPS_COMPUTE_EVENT_COST_H

void compute_event_cost(unsigned n);

#endif
