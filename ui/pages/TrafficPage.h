// The Traffic page: a live table of requests through the gateway with a detail pane.
#pragma once

#include "UiContext.h"
#include "telemetry/TrafficRecord.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTabWidget;

namespace quarry::ui {

class CaptureView;
class TrafficFilterModel;
class TrafficModel;

class TrafficPage : public QWidget
{
    Q_OBJECT
public:
    explicit TrafficPage(UiContext &context, QWidget *parent = nullptr);
    ~TrafficPage() override;

    TrafficModel *model() const { return m_model; }
    TrafficFilterModel *filter() const { return m_filter; }

public Q_SLOTS:
    // Asks first (a QMessageBox named "confirmClear"), then drops every record and its memory.
    void clearTraffic();

private:
    QWidget *buildFilterBar();
    QWidget *buildDetailPane();
    void showSelected();
    void showRecord(const telemetry::TrafficRecord *record);

    UiContext &m_context;
    TrafficModel *m_model = nullptr;
    TrafficFilterModel *m_filter = nullptr;
    QComboBox *m_routeFilter = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QLineEdit *m_textFilter = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QTabWidget *m_tabs = nullptr;
    CaptureView *m_captures[4] = {};
};

} // namespace quarry::ui
