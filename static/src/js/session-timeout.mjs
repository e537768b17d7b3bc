// Warns two minutes before an idle session ends, offers to stay signed in, and signs out when it ends.
const body = document.body
const secondsLeft = Number(body.dataset.sessionSeconds || 0)
const sessionAge = Number(body.dataset.sessionAge || 0)
const dialog = document.getElementById('session-timeout-dialog')
const WARN_BEFORE = 120

if (secondsLeft > WARN_BEFORE && dialog) {
  const token = document.querySelector('meta[name="csrf-token"]').content
  let warnTimer
  let endTimer

  const schedule = (seconds) => {
    clearTimeout(warnTimer)
    clearTimeout(endTimer)
    warnTimer = setTimeout(() => dialog.showModal(), (seconds - WARN_BEFORE) * 1000)
    endTimer = setTimeout(() => { window.location.assign(body.dataset.timedOutUrl) }, seconds * 1000)
  }

  dialog.querySelector('[data-stay-signed-in]').addEventListener('click', async () => {
    const response = await fetch(body.dataset.keepAliveUrl, {
      method: 'POST', headers: { 'X-CSRFToken': token }, credentials: 'same-origin'
    })
    if (response.ok) {
      dialog.close()
      schedule(sessionAge)
    } else {
      window.location.assign(body.dataset.timedOutUrl)
    }
  })
  schedule(secondsLeft)
}
