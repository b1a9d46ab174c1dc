// Every NATS subject and stream name lives here, built by functions, so a rename is one edit and a
// typo is a type error rather than a silent message to nowhere.

const ROOT = 'ferry';

/** Token-safe: NATS subjects split on '.', and '*' / '>' are wildcards. */
export function subjectToken(value: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(value)) throw new Error(`"${value}" cannot be used in a bus subject`);
  return value;
}

export const streams = {
  /** JetStream work-queue stream holding every durable job. */
  jobs: { name: 'FERRY_JOBS', subjects: [`${ROOT}.jobs.>`] },
} as const;

export const subjects = {
  /** Cell executions for a kernel that lives on one worker (sticky: variables live there). */
  cellJob: (workerId: string) => `${ROOT}.jobs.cell.${subjectToken(workerId)}`,
  cellJobsAll: `${ROOT}.jobs.cell.>`,
  /** Background trainings, by what they need: `any` worker, a `gpu` one, or one with a label. */
  trainingJob: (need: { gpu: boolean; label?: string }) =>
    need.label ? `${ROOT}.jobs.training.label.${subjectToken(need.label)}` : `${ROOT}.jobs.training.${need.gpu ? 'gpu' : 'any'}`,
  trainingEvents: `${ROOT}.training.events`,
  trainingControl: (trainingId: string) => `${ROOT}.training.${subjectToken(trainingId)}.control`,

  /** Request/reply, queue group "workers": a worker with a free slot claims a new kernel. */
  kernelClaim: `${ROOT}.kernel.claim`,
  /** The same claim addressed to one worker, chosen by the server from heartbeats (free slots). */
  kernelClaimFor: (workerId: string) => `${ROOT}.worker.${subjectToken(workerId)}.kernel.claim`,
  /** Request/reply to the worker holding a kernel. */
  kernelControl: (workerId: string) => `${ROOT}.worker.${subjectToken(workerId)}.kernel.control`,

  /** Events from a running cell: outputs, state changes, completion. */
  cellEvents: (notebookId: string) => `${ROOT}.notebook.${subjectToken(notebookId)}.cell-events`,
  cellEventsAll: `${ROOT}.notebook.*.cell-events`,

  workerHeartbeat: `${ROOT}.worker.heartbeat`,
  workerGone: `${ROOT}.worker.gone`,

  /** Yjs updates and awareness, fanned out between server instances serving one notebook. */
  collabUpdates: (notebookId: string) => `${ROOT}.collab.${subjectToken(notebookId)}.updates`,
  collabAwareness: (notebookId: string) => `${ROOT}.collab.${subjectToken(notebookId)}.awareness`,
  /** A user's access changed: every instance re-checks that user's open sockets. */
  collabAccessChanged: `${ROOT}.collab-access.changed`,

  /** Registry and fleet events, for webhooks and other instances. */
  registryEvents: (workspaceId: string) => `${ROOT}.events.registry.${subjectToken(workspaceId)}`,
  registryEventsAll: `${ROOT}.events.registry.*`,
  fleetEvents: `${ROOT}.events.fleet`,
} as const;

export const queueGroups = {
  workers: 'workers',
  server: 'server',
} as const;
