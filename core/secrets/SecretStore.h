// SecretStore: the async interface in front of wherever secrets live (the OS keychain, or memory in tests).
#pragma once

#include "secrets/ReadResult.h"
#include "secrets/SecretId.h"
#include "util/Result.h"

#include <QObject>

#include <functional>

namespace quarry::secrets {

// Callbacks run on the thread that owns the store, from its event loop, never from inside the
// call that started the operation. If the store is destroyed first, they are not called.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Status)>;
    using ReadDone = std::function<void(ReadResult)>;

    using QObject::QObject;
    ~SecretStore() override;

    // Replaces whatever was stored under id (keys not in data are gone afterwards).
    virtual void write(const SecretId &id, const SecretData &data, Done done) = 0;
    virtual void read(const SecretId &id, ReadDone done) = 0;
    // Removing a missing secret is not an error.
    virtual void remove(const SecretId &id, Done done) = 0;

protected:
    // Runs f later from this object's event loop, keeping the "never re-entrant" promise.
    void later(std::function<void()> f);
};

} // namespace quarry::secrets
