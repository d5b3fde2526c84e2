// Uploads of Microsoft's files from the portal: the file goes to the API's own route (text/csv, the signed-in cookie),
// with a progress bar while it travels and a message while the server reads it, then the page of its result.
// Listened for on the document, so that it keeps working after Blazor's enhanced navigation swaps the page.
document.addEventListener('submit', event => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload')) {
    return;
  }

  event.preventDefault();
  const file = form.querySelector('input[type=file]').files[0];
  const progress = form.querySelector('progress');
  const status = form.querySelector('[role=status]');
  if (!file) {
    status.textContent = 'Choose a file first.';
    return;
  }

  const query = new URLSearchParams({ fileName: file.name });
  for (const field of form.querySelectorAll('[data-query]')) {
    if (field.value) {
      query.set(field.name, field.value);
    }
  }

  const request = new XMLHttpRequest();
  request.open('POST', `${form.getAttribute('data-upload')}?${query}`);
  request.setRequestHeader('Content-Type', 'text/csv');
  request.upload.onprogress = e => {
    if (e.lengthComputable) {
      progress.value = Math.round(100 * e.loaded / e.total);
      status.textContent = `Sending ${file.name}: ${progress.value}%`;
    }
  };
  request.upload.onload = () => {
    progress.removeAttribute('value');
    status.textContent = `Sent. Reading and matching ${file.name} line by line…`;
  };
  request.onload = () => {
    let answer = {};
    try {
      answer = JSON.parse(request.responseText);
    } catch {
      answer = { title: request.responseText };
    }

    if (request.status === 200 || request.status === 201) {
      window.location.assign(`${form.getAttribute('data-result')}/${answer.id}`);
    } else {
      progress.value = 0;
      status.textContent = `Not imported (${request.status}): ${answer.title ?? 'the server gave no reason'}`;
    }
  };
  request.onerror = () => {
    progress.value = 0;
    status.textContent = 'The upload did not reach the server. Nothing was imported; try again.';
  };
  progress.value = 0;
  status.textContent = `Sending ${file.name}…`;
  request.send(file);
});

// A sync with Partner Center runs in the background: its page follows it from the API's own route (the signed-in
// cookie) about every second — the bar, and the progress in words for a screen reader — and opens the page again to show
// what it found when it ends. Leaving the page stops only the following, never the sync.
function followSyncs() {
  for (const panel of document.querySelectorAll('[data-sync-run]:not([data-following])')) {
    panel.setAttribute('data-following', '');
    const bar = panel.querySelector('progress');
    const status = panel.querySelector('[role=status]');
    const poll = async () => {
      if (!panel.isConnected) {
        return;
      }

      try {
        const answer = await fetch(panel.getAttribute('data-sync-run'), { headers: { Accept: 'application/json' } });
        if (answer.ok) {
          const run = await answer.json();
          if (String(run.status).toLowerCase() !== 'running') {
            window.location.assign(panel.getAttribute('data-done'));
            return;
          }

          const progress = run.progress;
          if (progress) {
            status.textContent = progress.summary;
            if (progress.toApply !== null && progress.toApply !== undefined) {
              bar.max = Math.max(progress.toApply, 1);
              bar.value = progress.applied;
            }
          }
        }
      } catch {
        // The next poll tries again; the sync itself does not depend on this page.
      }

      setTimeout(poll, 1000);
    };
    setTimeout(poll, 1000);
  }
}

document.addEventListener('DOMContentLoaded', followSyncs);
if (window.Blazor) {
  window.Blazor.addEventListener('enhancedload', followSyncs);
}
