/**
 * Whether a Docker engine could be there at all, looked up the way testcontainers looks (its
 * strategies, in order) but without loading it: so "no Docker" is said plainly and at once.
 */
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../env';

/** Where an engine could be found, and every place that was looked at. */
export interface DockerLookup {
  /** e.g. `DOCKER_HOST=tcp://…` or `/var/run/docker.sock`; null when there is nothing to try. */
  found: string | null;
  looked: string[];
}

/** The first place testcontainers would find an engine, or null with the list of places looked. */
export function findDockerEndpoint(env: Env, exists: (path: string) => boolean = existsSync): DockerLookup {
  const dockerHost = env['DOCKER_HOST'];
  if (dockerHost !== undefined && dockerHost !== '') return { found: `DOCKER_HOST=${dockerHost}`, looked: [] };
  if (process.platform === 'win32') return { found: '//./pipe/docker_engine', looked: [] };
  const home = homedir();
  const properties = join(home, '.testcontainers.properties');
  const sockets = [
    '/var/run/docker.sock',
    ...(env['XDG_RUNTIME_DIR'] ? [join(env['XDG_RUNTIME_DIR'], 'docker.sock')] : []),
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    join('/run', 'user', String(userInfo().uid), 'docker.sock'),
  ];
  const looked = ['DOCKER_HOST', properties, ...sockets];
  const found = [properties, ...sockets].find((path) => exists(path)) ?? null;
  return { found, looked };
}
