/**
 * The PlantUML source read as PlantUML's sequence-diagram grammar reads it, without the program:
 * each line parsed as a declaration (`participant "name" as id`, `box "title" #colour` ...
 * `end box`), an arrow (`->` a request, `-->` a response, `-[#colour]>` coloured, `->x` lost) or a
 * `note over`, and the `<U+XXXX>` escapes undone as PlantUML draws them. test/trace/plantuml.test.ts
 * renders the same text with the real PlantUML; this file is the part the mutation suite runs.
 */
import { describe, expect, it } from 'vitest';
import { renderPlantUml } from '../../src/trace/plantuml.js';
import { flowView, type FlowView } from '../../src/trace/view.js';
import { brokenFig16, fig16, handRun, NASTY, nastyView, splitView, uncheckedFig16, viewOf } from './fixtures.js';

/** PlantUML's `<U+XXXX>` (four hex digits or more): the character it draws. */
const unescape = (s: string): string => s.replace(/<U\+([0-9A-F]{4,6})>/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));

/** Creole's `<color:#RRGGBB><b>text</b></color>`, as colour and text. */
function styled(s: string): { colour?: string; text: string } {
  const m = /^<color:(#[0-9A-F]{6})><b>(.*)<\/b><\/color>$/.exec(s);
  return m === null ? { text: unescape(s) } : { colour: m[1]!, text: unescape(m[2]!) };
}

type Statement =
  | { kind: 'box'; title: string; colour: string }
  | { kind: 'end box' }
  | { kind: 'participant'; name: string; id: string }
  | { kind: 'arrow'; from: string; to: string; response: boolean; colour?: string; lost: boolean; label: { colour?: string; text: string } }
  | { kind: 'note'; over: string; label: { colour?: string; text: string } };

/** The diagram's statements between `@startuml` and `@enduml`, after the title and options. */
function read(source: string): { title: string; options: string[]; statements: Statement[] } {
  expect(source.endsWith('\n')).toBe(true);
  const lines = source.slice(0, -1).split('\n');
  expect(lines[0]).toBe('@startuml');
  expect(lines.at(-1)).toBe('@enduml');
  const title = /^title (.*)$/.exec(lines[1]!)?.[1];
  expect(title).toBeDefined();
  const body = lines.slice(2, -1);
  const options: string[] = body.filter((l) => l === 'hide footbox' || l === 'autonumber');
  const statements = body.filter((l) => !options.includes(l)).map((line): Statement => {
    let m = /^box "([^"]*)" (#[0-9A-F]{6})$/.exec(line);
    if (m !== null) return { kind: 'box', title: unescape(m[1]!), colour: m[2]! };
    if (line === 'end box') return { kind: 'end box' };
    m = /^participant "([^"]*)" as (L\d+)$/.exec(line);
    if (m !== null) return { kind: 'participant', name: unescape(m[1]!), id: m[2]! };
    m = /^(L\d+) -(?:\[(#[0-9A-F]{6})\])?(-?)>(x?) (L\d+) : (.*)$/.exec(line);
    if (m !== null) return { kind: 'arrow', from: m[1]!, to: m[5]!, response: m[3] === '-', ...(m[2] === undefined ? {} : { colour: m[2] }), lost: m[4] === 'x', label: styled(m[6]!) };
    m = /^note over (L\d+) : (.*)$/.exec(line);
    if (m !== null) return { kind: 'note', over: m[1]!, label: styled(m[2]!) };
    throw new Error(`not a PlantUML sequence statement: ${line}`);
  });
  return { title: unescape(title!), options, statements };
}

const RED = '#C62828';
const AMBER = '#B26A00';

describe('the PlantUML text', () => {
  it('declares the figure lifelines in order, boxed by home network, with alternating tints', () => {
    const { statements } = read(renderPlantUml(flowView(handRun())));
    expect(statements.filter((s) => s.kind !== 'arrow' && s.kind !== 'note')).toEqual([
      { kind: 'box', title: 'a.example', colour: '#EEF2FA' },
      { kind: 'participant', name: 'Client A', id: 'L0' },
      { kind: 'participant', name: 'Core A', id: 'L1' },
      { kind: 'end box' },
      { kind: 'box', title: 'b.example', colour: '#F8F3E8' },
      { kind: 'participant', name: 'Server B', id: 'L2' },
      { kind: 'end box' },
    ]);
  });

  it('opens a box again where the network comes back, the tints cycling, and leaves a lifeline of two networks unboxed', () => {
    const { statements } = read(renderPlantUml(splitView()));
    expect(statements).toEqual([
      { kind: 'box', title: 'a.example', colour: '#EEF2FA' },
      { kind: 'participant', name: 'A', id: 'L0' },
      { kind: 'end box' },
      { kind: 'box', title: 'sub.b.example', colour: '#F8F3E8' },
      { kind: 'participant', name: 'B', id: 'L1' },
      { kind: 'participant', name: 'B2', id: 'L2' },
      { kind: 'end box' },
      { kind: 'box', title: 'a.example', colour: '#EEF2FA' },
      { kind: 'participant', name: 'A again', id: 'L3' },
      { kind: 'end box' },
      { kind: 'participant', name: 'Both', id: 'L4' },
    ]);
  });

  it('draws every row in order: requests solid, responses dashed, failures red, the unexpected amber, the missing lost', () => {
    const source = renderPlantUml(flowView(handRun()));
    const { title, options, statements } = read(source);
    expect(title).toBe('Hand-made — C.9, Figure 99');
    // The figure numbers the arrows, so PlantUML must not number them again; no actor boxes below.
    expect(options).toEqual(['hide footbox']);
    const plain = (text: string): { text: string } => ({ text });
    const failed = (text: string): { colour: string; text: string } => ({ colour: RED, text });
    expect(statements.filter((s) => s.kind === 'arrow' || s.kind === 'note')).toEqual([
      { kind: 'arrow', from: 'L0', to: 'L1', response: false, lost: false, label: plain('1. MESSAGE') },
      { kind: 'note', over: 'L1', label: failed('8. ✗ missing: routed') },
      { kind: 'arrow', from: 'L1', to: 'L2', response: false, lost: false, label: plain('2. MESSAGE') },
      { kind: 'note', over: 'L2', label: plain('3. deferred (1 held)') },
      { kind: 'arrow', from: 'L2', to: 'L1', response: true, colour: RED, lost: false, label: failed('4. 200 OK (MESSAGE) ✗ figure: 202 [text/plain]') },
      { kind: 'arrow', from: 'L1', to: 'L0', response: true, lost: false, label: plain('5. 200 OK (MESSAGE)') },
      { kind: 'arrow', from: 'L0', to: 'L1', response: false, colour: RED, lost: true, label: failed('6. ✗ missing: BYE [text/plain]') },
      { kind: 'note', over: 'L0', label: failed('7. ✗ missing: shown to Alice') },
      { kind: 'arrow', from: 'L2', to: 'L1', response: false, colour: AMBER, lost: false, label: { colour: AMBER, text: '+ OPTIONS (not in the figure)' } },
      { kind: 'note', over: 'L1', label: plain('routed Via core') },
      // An ignored message is context: no number, no colour.
      { kind: 'arrow', from: 'L1', to: 'L0', response: false, lost: false, label: plain('OPTIONS') },
    ]);
  });

  it('loses a missing response on a dashed shaft', () => {
    const view: FlowView = { ...nastyView(), rows: [{ type: 'message', seq: 1, step: 3, at: 0, from: 1, to: 0, label: '202', kind: 'success', response: true, mark: 'missing', expectedLabel: '202' }] };
    expect(renderPlantUml(view)).toContain(`\nL1 -[${RED}]->x L0 : <color:${RED}><b>3. ✗ missing: 202</b></color>\n`);
  });

  it('lets PlantUML number the arrows when there are no figure steps', () => {
    const { options, statements } = read(renderPlantUml(viewOf(uncheckedFig16())));
    expect(options).toEqual(['hide footbox', 'autonumber']);
    const arrows = statements.flatMap((s) => (s.kind === 'arrow' ? [s] : []));
    expect(arrows[0]).toEqual({ kind: 'arrow', from: 'L0', to: 'L1', response: false, lost: false, label: { text: 'MESSAGE "Hello Bob"' } });
    expect(arrows.every((a) => a.colour === undefined && !/^\d+\. /.test(a.label.text))).toBe(true);
  });

  it('writes the markup characters of names, labels, notes and the title as escapes, and PlantUML reads back the text', () => {
    const view = nastyView();
    const source = renderPlantUml(view);
    const { title, statements } = read(source);
    expect(title).toBe(`Title ${NASTY.label}`);
    expect(statements.find((s) => s.kind === 'participant')).toEqual({ kind: 'participant', name: NASTY.lifeline, id: 'L0' });
    expect(statements.find((s) => s.kind === 'box')).toEqual({ kind: 'box', title: NASTY.domain, colour: '#EEF2FA' });
    const arrows = statements.flatMap((s) => (s.kind === 'arrow' ? [s.label.text] : []));
    expect(arrows).toEqual([`1. ${NASTY.label}`, '200 OK; <done> #1', '2. ✗ missing: BYE']);
    expect(statements.flatMap((s) => (s.kind === 'note' ? [s.label.text] : []))).toEqual([NASTY.note]);
    // Escaped by hand from Creole's rules: a doubled `*` `/` `-` `_` `[` `]` `"` opens markup, and
    // so does any `\` `<` `>` `~` `&`; a lone `/` `-` or `"` stays as it is.
    expect(source).toContain(
      '\nL0 -> L1 : 1. MESSAGE <U+002A><U+002A>bold<U+002A><U+002A> <U+002F><U+002F>it<U+002F><U+002F> <U+002D><U+002D>strike<U+002D><U+002D> <U+005F><U+005F>u<U+005F><U+005F> <U+007E><U+007E>w<U+007E><U+007E> <U+005B><U+005B>link<U+005D><U+005D> <U+003C>color:red<U+003E>red<U+003C>/color<U+003E> #x; a;b %% c\n',
    );
    expect(source).toContain('\nnote over L0 : note #59; <U+007E>tilde<U+007E> <U+005C>n <U+003C>script<U+003E>alert(1)<U+003C>/script<U+003E> "q" \'s\'\n');
    // In a quoted name even a lone `"` would end the name.
    expect(source).toContain('participant "Client <U+0022>A<U+0022>; #1 <U+003C>b<U+003E>x<U+003C>/b<U+003E> <U+0026> co: 50%, @home <U+005C>n end" as L0');
  });

  it('escapes a doubled character wherever it stands: at the start, the end, or in a run of three', () => {
    const label = '**a b__ c---d ""e"" f/g';
    const view: FlowView = { ...nastyView(), heading: label };
    const source = renderPlantUml(view);
    expect(source).toContain('\ntitle <U+002A><U+002A>a b<U+005F><U+005F> c<U+002D><U+002D><U+002D>d <U+0022><U+0022>e<U+0022><U+0022> f/g\n');
    expect(read(source).title).toBe(label);
  });

  it('keeps ordinary names readable in the source', () => {
    const source = renderPlantUml(viewOf(fig16()));
    expect(source).toContain('participant "SIP/IP Core A" as L1\n');
    expect(source).toContain('\nL0 -> L1 : 1. MESSAGE "Hello Bob"\n');
    // Every line of it is a statement of the grammar above.
    expect(read(source).statements.length).toBeGreaterThan(16);
  });
});

describe('renderPlantUml', () => {
  it('numbers the arrows with the figure steps, boxes the home networks and keeps the notes', () => {
    const text = renderPlantUml(viewOf(fig16()));
    expect(text.startsWith('@startuml\n')).toBe(true);
    expect(text.endsWith('@enduml\n')).toBe(true);
    expect(text).not.toContain('autonumber');
    expect(text).toContain('box "a.example" #EEF2FA\nparticipant "CPM Client A" as L0\nparticipant "SIP/IP Core A" as L1\nparticipant "CPM Conversation Server A" as L2\nend box\n');
    expect(text).toContain('box "b.example" #F8F3E8\nparticipant "CPM System B" as L3\nend box\n');
    expect(text).toContain('\nL0 -> L1 : 1. MESSAGE "Hello Bob"\n');
    expect(text).toContain('\nL2 --> L1 : 7. 200 OK (MESSAGE)\n');
    expect(text).toContain('\nnote over L0 : delivery: delivered\n');
  });

  it('marks the failures in colour and in words, and crosses out a missing arrow', () => {
    const text = renderPlantUml(viewOf(brokenFig16()));
    expect(text).toContain('\nL3 -[#C62828]-> L1 : <color:#C62828><b>5. 200 OK (MESSAGE) ✗ figure: 202</b></color>\n');
    expect(text).toContain('\nL1 -[#B26A00]> L0 : <color:#B26A00><b>+ MESSAGE [IMDN delivered] (not in the figure)</b></color>\n');
    expect(text).toContain('\nL0 -[#C62828]>x L3 : <color:#C62828><b>16. ✗ missing: BYE</b></color>\n');
  });

  it('uses autonumber when there are no figure steps', () => {
    const text = renderPlantUml(viewOf(uncheckedFig16()));
    expect(text).toContain('\nautonumber\n');
    expect(text).toContain('\nL0 -> L1 : MESSAGE "Hello Bob"\n');
  });

  it('escapes Creole markup and quotes, leaving plain text readable', () => {
    const text = renderPlantUml(nastyView());
    expect(text).toContain('participant "Client <U+0022>A<U+0022>; #1 <U+003C>b<U+003E>x<U+003C>/b<U+003E> <U+0026> co: 50%, @home <U+005C>n end" as L0');
    expect(text).toContain('<U+002A><U+002A>bold<U+002A><U+002A> <U+002F><U+002F>it<U+002F><U+002F>');
    expect(text).toContain('participant "Core" as L1');
  });

  it('is the same text for the same run', () => {
    expect(renderPlantUml(viewOf(fig16()))).toBe(renderPlantUml(viewOf(fig16())));
  });
});
