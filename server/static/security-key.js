// Accord's one script: registers a security key (account page) and uses
// one for the second step of signing in. Same origin only; no data leaves
// the page but the WebAuthn ceremony itself. Everything else in Accord
// works without JavaScript.
(function () {
  'use strict';

  function fromB64u(text) {
    var s = text.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) { s += '='; }
    var bin = atob(s);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    return bytes.buffer;
  }

  function toB64u(buffer) {
    var bytes = new Uint8Array(buffer);
    var s = '';
    for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) { throw new Error(data.message || ''); }
        return data;
      });
    });
  }

  function runs(form, status, ceremony) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (!window.PublicKeyCredential || !navigator.credentials) {
        status.textContent = form.dataset.failed;
        return;
      }
      var button = form.querySelector('button[type=submit]');
      button.disabled = true;
      status.textContent = form.dataset.working;
      ceremony().then(function (done) {
        window.location.assign(done.next);
      }).catch(function (err) {
        button.disabled = false;
        status.textContent = (err && err.message && err.name === 'Error') ? err.message : form.dataset.failed;
      });
    });
  }

  var register = document.getElementById('register-key');
  if (register) {
    runs(register, document.getElementById('key-status'), function () {
      var name = document.getElementById('keyName').value;
      return post(register.dataset.start, { name: name }).then(function (options) {
        var pk = options.publicKey;
        pk.challenge = fromB64u(pk.challenge);
        pk.user.id = fromB64u(pk.user.id);
        (pk.excludeCredentials || []).forEach(function (c) { c.id = fromB64u(c.id); });
        return navigator.credentials.create({ publicKey: pk });
      }).then(function (cred) {
        return post(register.dataset.finish, {
          id: cred.id,
          rawId: toB64u(cred.rawId),
          type: cred.type,
          response: {
            attestationObject: toB64u(cred.response.attestationObject),
            clientDataJSON: toB64u(cred.response.clientDataJSON)
          },
          extensions: {}
        });
      });
    });
  }

  var use = document.getElementById('use-key');
  if (use) {
    runs(use, document.getElementById('use-key-status'), function () {
      return post(use.dataset.start, {}).then(function (options) {
        var pk = options.publicKey;
        pk.challenge = fromB64u(pk.challenge);
        (pk.allowCredentials || []).forEach(function (c) { c.id = fromB64u(c.id); });
        return navigator.credentials.get({ publicKey: pk });
      }).then(function (cred) {
        return post(use.dataset.finish, {
          id: cred.id,
          rawId: toB64u(cred.rawId),
          type: cred.type,
          response: {
            authenticatorData: toB64u(cred.response.authenticatorData),
            clientDataJSON: toB64u(cred.response.clientDataJSON),
            signature: toB64u(cred.response.signature),
            userHandle: cred.response.userHandle ? toB64u(cred.response.userHandle) : null
          },
          extensions: {}
        });
      });
    });
  }
}());
