// SecretStore: shared plumbing for the implementations.
#include "secrets/SecretStore.h"

#include <QMetaObject>

namespace quarry::secrets {

SecretStore::~SecretStore() = default;

void SecretStore::later(std::function<void()> f)
{
    QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection);
}

} // namespace quarry::secrets
