// Polls a pack's status while it builds and swaps in the server's own markup for it, so the page never
// reloads. Without JavaScript the status page still works: it offers a link to refresh itself.
const POLL_MS = 1000

const region = document.getElementById('pack-status')

async function poll () {
  try {
    const response = await fetch(region.dataset.statusUrl, { headers: { Accept: 'application/json' } })
    if (!response.ok) throw new Error(`status ${response.status}`)
    const data = await response.json()
    const text = region.querySelector('#pack-progress-text')
    if (!data.finished && text) {
      // Update the live region's text in place, so screen readers hear each new stage once.
      const fresh = new DOMParser().parseFromString(data.html, 'text/html')
      text.textContent = fresh.getElementById('pack-progress-text').textContent
      region.querySelector('progress').value = data.progress
    } else {
      region.innerHTML = data.html
      const heading = region.querySelector('h2')
      if (heading) {
        heading.setAttribute('tabindex', '-1')
        heading.focus()
      }
      return
    }
  } catch (error) {
    // A missed poll is not worth alarming anyone about: try again on the next tick.
  }
  window.setTimeout(poll, POLL_MS)
}

if (region && region.dataset.finished === 'false') {
  window.setTimeout(poll, POLL_MS)
}
