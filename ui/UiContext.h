// What every page of the desktop app works with: the running gateway, the config and the keychain.
// The UI reaches sockets, disk and keychain only through these core objects.
#pragma once

#include <QString>

namespace quarry::gateway {
class GatewayController;
}
namespace quarry::config {
class ConfigStore;
}
namespace quarry::secrets {
class SecretStore;
}

namespace quarry::telemetry {
class HistoryStore;
}

namespace quarry::ui {

struct UiContext
{
    gateway::GatewayController *gateway = nullptr; // the gateway, running on its own thread
    config::ConfigStore *config = nullptr;         // a GUI-thread view of resources.yaml (watched)
    secrets::SecretStore *secrets = nullptr;       // async OS keychain
    QString configDir;
    telemetry::HistoryStore *history = nullptr;   // history.sqlite: every request is written there;
                                                  // null = no history (tests, screenshots)
    QString dataDir{}; // history.sqlite, the Console's saved requests and conversations; empty = nowhere
};

} // namespace quarry::ui
