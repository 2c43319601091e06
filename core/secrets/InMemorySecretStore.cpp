// InMemorySecretStore: a SecretStore in a map, for tests.
#include "secrets/InMemorySecretStore.h"

#include <utility>

using namespace Qt::StringLiterals;

namespace quarry::secrets {

namespace {

std::optional<QString> checkId(const SecretId &id)
{
    if (id.isValid())
        return std::nullopt;
    return u"invalid secret name \"%1\": namespace and name must be non-empty and contain no '/'"_s.arg(
        id.toString());
}

} // namespace

void InMemorySecretStore::write(const SecretId &id, const SecretData &data, Done done)
{
    const auto error = m_failure ? m_failure : checkId(id);
    if (error)
        return later([done, msg = *error] { done(Status::failure(msg)); });
    m_items.insert(id.toString(), data);
    later([done] { done(Ok{}); });
}

void InMemorySecretStore::setSilent(bool silent)
{
    m_silent = silent;
    if (silent)
        return;
    for (auto &[id, done] : std::exchange(m_heldReads, {}))
        read(id, std::move(done));
}

void InMemorySecretStore::read(const SecretId &id, ReadDone done)
{
    if (m_silent)
        return m_heldReads.append({id, std::move(done)});
    const auto error = m_failure ? m_failure : checkId(id);
    if (error)
        return later([done, msg = *error] { done(ReadResult::failed(msg)); });
    const auto it = m_items.constFind(id.toString());
    if (it == m_items.cend())
        return later([done] { done(ReadResult::notFound()); });
    later([done, data = it.value()] { done(ReadResult::found(data)); });
}

void InMemorySecretStore::remove(const SecretId &id, Done done)
{
    const auto error = m_failure ? m_failure : checkId(id);
    if (error)
        return later([done, msg = *error] { done(Status::failure(msg)); });
    m_items.remove(id.toString());
    later([done] { done(Ok{}); });
}

} // namespace quarry::secrets
