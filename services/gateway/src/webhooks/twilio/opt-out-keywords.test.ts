import { optOutIntent } from './opt-out-keywords';

it.each(['STOP', 'stop', '  Stop\n', 'STOPALL', 'UNSUBSCRIBE', 'cancel', 'END', 'QUIT', 'OPTOUT', 'revoke'])('%j opts out', (body) => {
  expect(optOutIntent(body, null)).toBe('opt_out');
});

it.each(['START', ' start ', 'UNSTOP', 'yes'])('%j opts back in', (body) => {
  expect(optOutIntent(body, null)).toBe('opt_in');
});

it.each(['please stop', 'STOP!', 'HELP', '', 'stopp', 'Yes please'])('%j is neither (only the whole message is a keyword)', (body) => {
  expect(optOutIntent(body, null)).toBeNull();
});

it("follows Twilio's OptOutType over the text when present", () => {
  expect(optOutIntent('Arrêt', 'STOP')).toBe('opt_out');
  expect(optOutIntent('go on', 'START')).toBe('opt_in');
  expect(optOutIntent('STOP', 'HELP')).toBeNull();
  expect(optOutIntent('STOP', '')).toBe('opt_out');
});
