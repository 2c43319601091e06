// The Routes page: HTTPRoute resources: which paths on the listener go to which backends.
#pragma once

#include <QWidget>

namespace quarry::ui {

struct UiContext;
class ResourceBrowser;

class RoutesPage : public QWidget
{
    Q_OBJECT
public:
    explicit RoutesPage(UiContext &context, QWidget *parent = nullptr);

    ResourceBrowser *browser() const { return m_browser; }

private:
    ResourceBrowser *m_browser;
};

} // namespace quarry::ui
