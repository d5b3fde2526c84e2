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
