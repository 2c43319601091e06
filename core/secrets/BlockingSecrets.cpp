// Blocking wrappers over SecretStore for the CLI.
#include "secrets/BlockingSecrets.h"

#include <QEventLoop>

#include <optional>

namespace quarry::secrets {

namespace {

const QString kStoreGone = QStringLiteral("the secret store was closed before it answered");

// Starts an operation with a callback that records its answer, then waits for it. If the store
// is destroyed first its callback never comes, so that ends the wait too (with `gone`).
template <typename T, typename Start> T waitFor(SecretStore &store, T gone, Start start)
{
    std::optional<T> answer;
    QEventLoop loop;
    QObject::connect(&store, &QObject::destroyed, &loop, &QEventLoop::quit);
    start([&answer, &loop](T value) {
        answer.emplace(std::move(value));
        loop.quit();
    });
    if (!answer) // a store that answered synchronously needs no loop
        loop.exec();
    return answer ? std::move(*answer) : std::move(gone);
}

} // namespace

Status writeBlocking(SecretStore &store, const SecretId &id, const SecretData &data)
{
    return waitFor<Status>(store, Status::failure(kStoreGone),
                           [&](SecretStore::Done done) { store.write(id, data, std::move(done)); });
}

ReadResult readBlocking(SecretStore &store, const SecretId &id)
{
    return waitFor<ReadResult>(store, ReadResult::failed(kStoreGone),
                               [&](SecretStore::ReadDone done) { store.read(id, std::move(done)); });
}

Status removeBlocking(SecretStore &store, const SecretId &id)
{
    return waitFor<Status>(store, Status::failure(kStoreGone),
                           [&](SecretStore::Done done) { store.remove(id, std::move(done)); });
}

} // namespace quarry::secrets
