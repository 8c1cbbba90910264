import { homedir } from 'node:os';
import { join } from 'node:path';
import { findDockerEndpoint } from './docker-endpoint';

const nothing = () => false;

test('DOCKER_HOST wins without looking at the file system', () => {
  expect(findDockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }, nothing)).toEqual({ found: 'DOCKER_HOST=tcp://10.0.0.5:2375', looked: [] });
});

test('without DOCKER_HOST the sockets testcontainers knows are tried in its order', () => {
  const desktop = join(homedir(), '.docker', 'desktop', 'docker.sock');
  expect(findDockerEndpoint({}, (p) => p === desktop || p === '/run/user/0/docker.sock').found).toBe(desktop);
  expect(findDockerEndpoint({}, (p) => p === '/var/run/docker.sock').found).toBe('/var/run/docker.sock');
  expect(findDockerEndpoint({ XDG_RUNTIME_DIR: '/xdg' }, (p) => p === '/xdg/docker.sock').found).toBe('/xdg/docker.sock');
});

test('with nothing there it reports every place it looked', () => {
  const lookup = findDockerEndpoint({}, nothing);
  expect(lookup.found).toBeNull();
  expect(lookup.looked).toEqual(expect.arrayContaining(['DOCKER_HOST', '/var/run/docker.sock', join(homedir(), '.testcontainers.properties')]));
});
