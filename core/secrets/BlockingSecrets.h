// Blocking wrappers over SecretStore for the CLI: they spin a local QEventLoop until the store
// answers. Never use them on the GUI thread or on the request path.
#pragma once

#include "secrets/SecretStore.h"

namespace quarry::secrets {

// The store must live on the calling thread (its callbacks are delivered there).
Status writeBlocking(SecretStore &store, const SecretId &id, const SecretData &data);
ReadResult readBlocking(SecretStore &store, const SecretId &id);
Status removeBlocking(SecretStore &store, const SecretId &id);

} // namespace quarry::secrets
