/** The six log kinds every Tsunagu process writes (ARCHITECTURE.md §8). */
export enum LogKind {
  Operation = 'operation',
  Authentication = 'authentication',
  Access = 'access',
  Event = 'event',
  Communication = 'communication',
  Error = 'error',
}
