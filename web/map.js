// The 2-D map: points from /api/projection drawn as SVG circles with their words as text nodes (never
// markup). Labels are shown for up to 150 points and for the point under the pointer; a click on a
// point calls onPick with its word.
const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 800;
const HEIGHT = 600;
const MARGIN = 40;

function node(tag, attributes = {}) {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/**
 * Draws `points` ({word, x, y, similarity?}, x and y in [−1, 1]) into `svg`.
 * @param options.centre the query word, drawn larger
 * @param options.onPick called with a point's word when it is clicked
 */
export function drawMap(svg, points, { centre, onPick } = {}) {
  svg.replaceChildren();
  const labelAll = points.length <= 150;
  const sx = (x) => MARGIN + ((x + 1) / 2) * (WIDTH - 2 * MARGIN);
  const sy = (y) => HEIGHT - MARGIN - ((y + 1) / 2) * (HEIGHT - 2 * MARGIN);
  const layer = node('g');
  points.forEach((point, i) => {
    const isCentre = point.word === centre && i === 0;
    const group = node('g', { class: `point${isCentre ? ' centre' : ''}`, tabindex: 0, role: 'button', 'data-word': point.word });
    const x = sx(point.x);
    const y = sy(point.y);
    const circle = node('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: isCentre ? 7 : 4 });
    if (point.similarity !== undefined && !isCentre) circle.style.opacity = String(0.35 + 0.65 * Math.max(0, point.similarity));
    const title = node('title');
    title.textContent = point.similarity !== undefined ? `${point.word} (${point.similarity.toFixed(3)})` : point.word;
    const label = node('text', { x: (x + 7).toFixed(1), y: (y + 4).toFixed(1), class: labelAll || isCentre ? 'label' : 'label hover-only' });
    label.textContent = point.word;
    group.append(circle, title, label);
    const pick = () => onPick?.(point.word);
    group.addEventListener('click', pick);
    group.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        pick();
      }
    });
    layer.append(group);
  });
  svg.append(layer);
  if (points.length === 0) {
    const empty = node('text', { x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle', class: 'empty' });
    empty.textContent = 'Search a word to see its neighbourhood.';
    svg.append(empty);
  }
}
