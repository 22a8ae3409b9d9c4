/**
 * The diet plan's guidelines are short Markdown (headings, bullet lists, **bold**). They are
 * rendered as elements, never as HTML, so nothing in them can run.
 */
import type { JSX } from 'preact';

function inline(text: string): (string | JSX.Element)[] {
  return text
    .split(/(\*\*[^*]+\*\*)/g)
    .filter(Boolean)
    .map((part, i) => (part.startsWith('**') && part.endsWith('**') ? <strong key={i}>{part.slice(2, -2)}</strong> : part));
}

export function Markdown({ text, headingLevel = 3 }: { text: string; headingLevel?: 3 | 4 }) {
  const blocks: JSX.Element[] = [];
  let items: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (items.length)
      blocks.push(
        <ul key={blocks.length}>
          {items.map((item, i) => (
            <li key={i}>{inline(item)}</li>
          ))}
        </ul>,
      );
    if (paragraph.length) blocks.push(<p key={blocks.length}>{inline(paragraph.join(' '))}</p>);
    items = [];
    paragraph = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^[-*]\s+(.*)$/.exec(line);
    if (!line) flush();
    else if (heading) {
      flush();
      // A level-one heading repeats the section's own title: skip it.
      if ((heading[1] ?? '').length > 1) {
        const Tag = headingLevel === 3 ? 'h3' : 'h4';
        blocks.push(<Tag key={blocks.length}>{heading[2]}</Tag>);
      }
    } else if (bullet) {
      if (paragraph.length) flush();
      items.push(bullet[1] ?? '');
    } else {
      if (items.length) flush();
      paragraph.push(line);
    }
  }
  flush();
  return <div class="markdown">{blocks}</div>;
}
