// Reflow at 320 px (WCAG 1.4.10): a table wider than the page scrolls inside its own region, not the page.
// The region is named by the table's caption (or the heading before it) and can be reached with Tab, so
// keyboard users can scroll it; a table that fits keeps no extra tab stop. Templates may wrap a table in
// .app-scroll-region themselves, which works without JavaScript; those keep their own name and tab stop.
// Any region that scrolls, a chart's included, gets a line saying so (above it, or in its table's caption): on a
// phone a cut-off column otherwise looks like the end of the table.

let count = 0

function nameFor (table) {
  if (table.caption) {
    table.caption.id = table.caption.id || `app-table-caption-${++count}`
    return ['aria-labelledby', table.caption.id]
  }
  let before = table.previousElementSibling
  while (before && !/^H[1-6]$/.test(before.tagName)) before = before.previousElementSibling
  return ['aria-label', before ? before.textContent.trim() : 'Table']
}

const REGIONS = '.app-scroll-region, .app-table-scroll, .app-chart'

// The line goes above the region; where its table has a caption on show, under the caption's words instead: the
// caption reads as the table's heading, and a line above it would read as the end of the section before.
function shownCaption (region) {
  const caption = region.querySelector('table > caption')
  return caption && !caption.classList.contains('govuk-visually-hidden') ? caption : null
}

function scrollHintOf (region) {
  const caption = shownCaption(region)
  const line = caption ? caption.lastElementChild : region.previousElementSibling
  return line && line.classList.contains('app-scroll-hint') ? line : null
}

function markScrolling (region, scrolls) {
  const hint = scrollHintOf(region)
  if (scrolls && !hint) {
    const caption = shownCaption(region)
    const line = document.createElement(caption ? 'span' : 'p')
    line.className = 'govuk-body-s app-scroll-hint'
    line.textContent = `Scroll sideways to see the whole ${region.querySelector('table') ? 'table' : 'chart'}.`
    if (caption) {
      line.setAttribute('aria-hidden', 'true') // seen, not made part of the table's name
      caption.append(line)
    } else {
      region.before(line)
    }
  } else if (!scrolls && hint) {
    hint.remove()
  }
}

function fit (region) {
  const scrolls = region.scrollWidth > region.clientWidth + 1
  markScrolling(region, scrolls)
  if (!region.dataset.appWrapped) return
  if (scrolls && !region.hasAttribute('tabindex')) {
    const [attribute, value] = nameFor(region.querySelector('table'))
    region.setAttribute('role', 'region')
    region.setAttribute(attribute, value)
    region.tabIndex = 0
  } else if (!scrolls && region.dataset.appWrapped) {
    for (const attribute of ['role', 'aria-labelledby', 'aria-label', 'tabindex']) region.removeAttribute(attribute)
  }
}

export function containWideTables (root = document) {
  for (const table of root.querySelectorAll('main table.govuk-table')) {
    if (table.closest(REGIONS)) continue
    const region = document.createElement('div')
    region.className = 'app-scroll-region'
    region.dataset.appWrapped = 'true'
    table.before(region)
    region.append(table)
  }
  const observer = new ResizeObserver(entries => entries.forEach(entry => fit(entry.target)))
  root.querySelectorAll(`main :is(${REGIONS})`).forEach(region => { fit(region); observer.observe(region) })
}

containWideTables()

// A grid whose newest month is its last column opens scrolled to that end where it is wider than the screen:
// the current position is what its reader looks for, and the earlier months are a scroll away. While months are
// scrolled under its frozen first column, that column casts a shadow over them, so the edge of a month cut off
// beside it reads as scrolled past rather than as broken text.
function markScrolledPastStart (region) {
  region.classList.toggle('app-scrolled-past-start', region.scrollLeft > 0)
}

export function showLatestColumns (root = document) {
  for (const region of root.querySelectorAll('[data-app-scroll-to-end]')) {
    region.scrollLeft = region.scrollWidth
    markScrolledPastStart(region)
    region.addEventListener('scroll', () => markScrolledPastStart(region), { passive: true })
  }
}

showLatestColumns()
