import { replaceBetweenMarkers } from '../../scripts/bench/readme';

/** `npm run bench -- --readme` rewrites only what lies between its markers. */
describe('replaceBetweenMarkers', () => {
  const readme = ['# Title', '<!-- bench:figures:start -->', '| old | table |', '<!-- bench:figures:end -->', 'Prose after.', ''].join('\n');

  it('replaces the block between the markers and keeps everything else', () => {
    expect(replaceBetweenMarkers(readme, 'figures', '| new | table |')).toBe(
      ['# Title', '<!-- bench:figures:start -->', '| new | table |', '<!-- bench:figures:end -->', 'Prose after.', ''].join('\n'),
    );
  });

  it('gives the same text when run twice', () => {
    const once = replaceBetweenMarkers(readme, 'figures', 'a\nb');
    expect(replaceBetweenMarkers(once, 'figures', 'a\nb')).toBe(once);
  });

  it('refuses a text without the markers, with them twice or in the wrong order', () => {
    const refusals = [
      '# no markers',
      `${readme}${readme}`,
      '<!-- bench:figures:end -->\n<!-- bench:figures:start -->',
      readme.replace('bench:figures:end', 'bench:other:end'),
    ];
    for (const text of refusals) expect(() => replaceBetweenMarkers(text, 'figures', 'x')).toThrow(/expected one <!-- bench:figures:start -->/);
  });
});
