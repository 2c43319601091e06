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

private:
    ResourceBrowser *m_browser;
};

} // namespace quarry::ui
