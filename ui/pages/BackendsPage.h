// The Backends page: AgentgatewayBackend resources: which Bedrock model and region a route talks to, and with which credentials.
#pragma once

#include <QWidget>

namespace quarry::ui {

struct UiContext;
class ResourceBrowser;

class BackendsPage : public QWidget
{
    Q_OBJECT
public:
    explicit BackendsPage(UiContext &context, QWidget *parent = nullptr);

    ResourceBrowser *browser() const { return m_browser; }

Q_SIGNALS:
    // "New secret…" on the form: the window opens the Credentials page with this name.
    void newSecretRequested(const QString &ns, const QString &name);

private:
    ResourceBrowser *m_browser;
};

} // namespace quarry::ui
