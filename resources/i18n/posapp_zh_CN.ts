<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>posapp</name>
    <message>
        <source> — {n} failed</source>
        <translation> — {n} 张失败</translation>
    </message>
    <message>
        <source>(no reason given)</source>
        <translation>(未填写原因)</translation>
    </message>
    <message>
        <source>ACCEPTED</source>
        <translation>已接单</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接单</translation>
    </message>
    <message>
        <source>Accept all</source>
        <translation>全部接单</translation>
    </message>
    <message>
        <source>Accept all ({n})</source>
        <translation>全部接单 ({n})</translation>
    </message>
    <message>
        <source>Accept now — the platform will cancel: {numbers}</source>
        <translation>请立即接单,平台即将自动取消:{numbers}</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接单</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Adding up…</source>
        <translation>正在汇总…</translation>
    </message>
    <message>
        <source>Adding up… {done} of {total} days</source>
        <translation>正在汇总… 已完成 {done}/{total} 天</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Address out of delivery range</source>
        <translation>超出配送范围</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>All day</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Announce new orders aloud</source>
        <translation>语音播报新订单</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Auto-accept {platform}</source>
        <translation>{platform} 自动接单</translation>
    </message>
    <message>
        <source>Average order</source>
        <translation>客单价</translation>
    </message>
    <message>
        <source>Business day</source>
        <translation>营业日</translation>
    </message>
    <message>
        <source>CANCELLED by {platform}: order #{number}</source>
        <translation>{platform} 已取消订单 #{number}</translation>
    </message>
    <message>
        <source>COOKING</source>
        <translation>制作中</translation>
    </message>
    <message>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <source>Cancelled / rejected</source>
        <translation>取消 / 拒单</translation>
    </message>
    <message>
        <source>Cannot write the CSV files: {error}</source>
        <translation>无法写入 CSV 文件:{error}</translation>
    </message>
    <message>
        <source>Cashier or manager PIN</source>
        <translation>收银员或经理 PIN</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>平台佣金</translation>
    </message>
    <message>
        <source>Cooking</source>
        <translation>制作中</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Customer asked to cancel</source>
        <translation>顾客要求取消</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>回头客</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>外送</translation>
    </message>
    <message>
        <source>Delivery fee</source>
        <translation>配送费</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Dine-in</source>
        <translation>堂食</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Discounts</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>预计送达</translation>
    </message>
    <message>
        <source>Ele.me</source>
        <translation>饿了么</translation>
    </message>
    <message>
        <source>Enter the PIN again.</source>
        <translation>请重新输入 PIN。</translation>
    </message>
    <message>
        <source>Enter the new PIN again</source>
        <translation>请再次输入新 PIN</translation>
    </message>
    <message>
        <source>Expected payout</source>
        <translation>预计结算</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>Export the Z-report as CSV into…</source>
        <translation>将日结报表导出为 CSV,保存到…</translation>
    </message>
    <message>
        <source>Fees · tips · tax</source>
        <translation>费用 · 小费 · 税</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Fulfillment</source>
        <translation>取餐方式</translation>
    </message>
    <message>
        <source>Full screen (kiosk)</source>
        <translation>全屏(自助模式)</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>营业额</translation>
    </message>
    <message>
        <source>Gross sales</source>
        <translation>营业额</translation>
    </message>
    <message>
        <source>History</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Item sold out</source>
        <translation>商品已售罄</translation>
    </message>
    <message>
        <source>Kitchen too busy</source>
        <translation>厨房太忙</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Last order</source>
        <translation>最近下单</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Late (ready after due or &gt;{minutes} min)</source>
        <translation>超时(晚于预计送达或出餐超过 {minutes} 分钟)</translation>
    </message>
    <message>
        <source>Late orders</source>
        <translation>超时订单</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>取消损失</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <source>Manager PIN</source>
        <translation>经理 PIN</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>Meituan</source>
        <translation>美团</translation>
    </message>
    <message>
        <source>NEW</source>
        <translation>新订单</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新订单</translation>
    </message>
    <message>
        <source>New order</source>
        <translation>新建订单</translation>
    </message>
    <message>
        <source>New {platform} order {number}</source>
        <translation>{platform}新订单 {number}号</translation>
    </message>
    <message>
        <source>No completed orders in the last hours</source>
        <translation>最近几小时没有已完成订单</translation>
    </message>
    <message>
        <source>No open orders — new orders appear here</source>
        <translation>暂无订单 — 新订单会显示在这里</translation>
    </message>
    <message>
        <source>No printer is set up</source>
        <translation>尚未设置打印机</translation>
    </message>
    <message>
        <source>No receipt printer is set up.</source>
        <translation>尚未设置小票打印机。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单数</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Own site</source>
        <translation>自有渠道</translation>
    </message>
    <message>
        <source>Packaging</source>
        <translation>包装费</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停营业</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>支付</translation>
    </message>
    <message>
        <source>Payout</source>
        <translation>预计结算</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Pickup</source>
        <translation>自取</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Platform order</source>
        <translation>平台订单号</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Prep</source>
        <translation>出餐时间</translation>
    </message>
    <message>
        <source>Prep median / p90</source>
        <translation>出餐时间 中位数 / 90分位</translation>
    </message>
    <message>
        <source>Print Z-report</source>
        <translation>打印日结报表</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation>打印小票</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Printers…</source>
        <translation>打印机…</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>READY</source>
        <translation>待取餐</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>出餐</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Reason (for the audit log)</source>
        <translation>原因(记入审计日志)</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回</translation>
    </message>
    <message>
        <source>Recall a completed order</source>
        <translation>召回已完成订单</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Refund of {amount} recorded on #{number} by {who}</source>
        <translation>{who} 已为 #{number} 记录退款 {amount}</translation>
    </message>
    <message>
        <source>Refund on order #{number}</source>
        <translation>订单 #{number} 退款</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Refunds are recorded in the manager section</source>
        <translation>请在经理页面记录退款</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>退款…</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒单</translation>
    </message>
    <message>
        <source>Repeat customers (as the platforms show them; purged after the retention period)</source>
        <translation>回头客(信息以平台提供为准;超过保留期限后自动清除)</translation>
    </message>
    <message>
        <source>Reprint ticket</source>
        <translation>重打厨房单</translation>
    </message>
    <message>
        <source>Rider</source>
        <translation>骑手</translation>
    </message>
    <message>
        <source>Rider: {status}</source>
        <translation>骑手:{status}</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Rush reminder from {platform}: order #{number}</source>
        <translation>{platform}催单:订单 #{number}</translation>
    </message>
    <message>
        <source>Rush reminder × {n}</source>
        <translation>催单 × {n}</translation>
    </message>
    <message>
        <source>SOLD OUT</source>
        <translation>已售罄</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>销售额</translation>
    </message>
    <message>
        <source>Sales ({currency})</source>
        <translation>销售额({currency})</translation>
    </message>
    <message>
        <source>Saved {n} CSV files in {folder}</source>
        <translation>已保存 {n} 个 CSV 文件到 {folder}</translation>
    </message>
    <message>
        <source>Search # or name</source>
        <translation>搜索单号或姓名</translation>
    </message>
    <message>
        <source>Select a printer and tap Test print to see the page it prints.</source>
        <translation>选择一台打印机,点“打印测试页”查看打印效果。</translation>
    </message>
    <message>
        <source>Select a printer first.</source>
        <translation>请先选择打印机。</translation>
    </message>
    <message>
        <source>Sending a test page to {printer}…</source>
        <translation>正在向{printer}发送测试页…</translation>
    </message>
    <message>
        <source>Sent to the printer</source>
        <translation>已发送到打印机</translation>
    </message>
    <message>
        <source>Set a new manager PIN (4–8 digits)</source>
        <translation>设置新的经理 PIN(4–8 位数字)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Signed in: {name} ({role}) · locks after inactivity</source>
        <translation>已登录:{name}({role})· 无操作后自动锁定</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>售罄</translation>
    </message>
    <message>
        <source>Sold out?</source>
        <translation>售罄管理</translation>
    </message>
    <message>
        <source>Something went wrong; nothing was changed. See the log.</source>
        <translation>出错了,订单未改变。请查看日志。</translation>
    </message>
    <message>
        <source>Something went wrong; see the log.</source>
        <translation>出错了,请查看日志。</translation>
    </message>
    <message>
        <source>Spent</source>
        <translation>消费金额</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始制作</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Store closing</source>
        <translation>即将打烊</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>小计</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>税</translation>
    </message>
    <message>
        <source>Test page sent to {printer}.</source>
        <translation>测试页已发送到{printer}。</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>字体大小</translation>
    </message>
    <message>
        <source>The two PINs differ. Start again.</source>
        <translation>两次输入的 PIN 不一致,请重新设置。</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Tip</source>
        <translation>小费</translation>
    </message>
    <message>
        <source>Too many wrong PINs.
Try again in {seconds} s</source>
        <translation>PIN 错误次数过多。
{seconds} 秒后再试</translation>
    </message>
    <message>
        <source>Top items</source>
        <translation>畅销商品</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo: {what}</source>
        <translation>撤销:{what}</translation>
    </message>
    <message>
        <source>Undone: #{number} is {status} again</source>
        <translation>已撤销:#{number} 恢复为{status}</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Why cancel this order?</source>
        <translation>取消原因?</translation>
    </message>
    <message>
        <source>Why reject this order?</source>
        <translation>拒单原因?</translation>
    </message>
    <message>
        <source>Z-report</source>
        <translation>日结报表</translation>
    </message>
    <message>
        <source>Z-report sent to the printer.</source>
        <translation>日结报表已发送到打印机。</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接单</translation>
    </message>
    <message>
        <source>all actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>available</source>
        <translation>有货</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>card</source>
        <translation>刷卡</translation>
    </message>
    <message>
        <source>cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>delivery</source>
        <translation>外送</translation>
    </message>
    <message>
        <source>dine_in</source>
        <translation>堂食</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新订单</translation>
    </message>
    <message>
        <source>new</source>
        <comment>compared with nothing</comment>
        <translation>新增</translation>
    </message>
    <message>
        <source>not tried yet</source>
        <translation>尚未连接</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线支付</translation>
    </message>
    <message>
        <source>p90</source>
        <translation>90分位</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已支付</translation>
    </message>
    <message>
        <source>pickup</source>
        <translation>自取</translation>
    </message>
    <message>
        <source>preparing</source>
        <translation>制作中</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>待取餐</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已拒单</translation>
    </message>
    <message>
        <source>sales vs {day} ({before} → {now} orders)</source>
        <translation>营业额对比 {day}({before} → {now} 单)</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>unpaid</source>
        <translation>未支付</translation>
    </message>
    <message>
        <source>vs same day last week</source>
        <translation>对比上周同日</translation>
    </message>
    <message>
        <source>who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>{period} · business day from {cutoff} · {currency}</source>
        <translation>{period} · 营业日自 {cutoff} 起 · {currency}</translation>
    </message>
    <message>
        <source>{platform} order {number} cancelled</source>
        <translation>{platform}订单 {number}号已取消</translation>
    </message>
    <message>
        <source>{printer} offline — {n} tickets waiting</source>
        <translation>{printer} 离线 — {n} 张小票等待打印</translation>
    </message>
    <message>
        <source>{printer} printing — {n} waiting</source>
        <translation>{printer} 打印中 — {n} 张等待</translation>
    </message>
    <message>
        <source>{printer} ready</source>
        <translation>{printer} 就绪</translation>
    </message>
    <message>
        <source>{printer}: the test page could not be sent ({error}).</source>
        <translation>{printer}:测试页发送失败({error})。</translation>
    </message>
    <message>
        <source>{what}: {n} waiting</source>
        <translation>{what}:{n} 条待处理</translation>
    </message>
    <message>
        <source>⏸ Store paused on all platforms</source>
        <translation>⏸ 已在所有平台暂停营业</translation>
    </message>
    <message>
        <source>⚠ {n} payloads quarantined</source>
        <translation>⚠ {n} 条异常订单数据</translation>
    </message>
    <message>
        <source>Cannot reach the engine at {url} — retrying…</source>
        <translation>无法连接订单引擎 {url} — 正在重试…</translation>
    </message>
    <message>
        <source>Connecting to the engine…</source>
        <translation>正在连接订单引擎…</translation>
    </message>
    <message>
        <source>Could not reach the engine — nothing was changed. Try again when the red strip is gone.</source>
        <translation>无法连接订单引擎 — 未做任何更改。请等红条消失后再试。</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>订单引擎</translation>
    </message>
    <message>
        <source>Lost the engine — reconnecting…</source>
        <translation>与订单引擎断开 — 正在重新连接…</translation>
    </message>
    <message>
        <source>Not connected to the engine — the tap was not sent. Wait for the red strip to go.</source>
        <translation>未连接订单引擎 — 本次点击未发送。请等红条消失后再试。</translation>
    </message>
    <message>
        <source>Order #{number} was changed on another screen</source>
        <translation>订单 #{number} 已在另一块屏幕上被更改</translation>
    </message>
    <message>
        <source>Station: {name}</source>
        <translation>工位：{name}</translation>
    </message>
    <message>
        <source>This screen is not paired: ask a manager for a pairing code and run posapp screen --engine {url} --pair CODE</source>
        <translation>此屏幕尚未配对：请向经理索取配对码，然后运行 posapp screen --engine {url} --pair CODE</translation>
    </message>
    <message>
        <source>Expo</source>
        <translation>出餐口</translation>
    </message>
    <message>
        <source>ALL STATIONS DONE</source>
        <translation>各工位全部完成</translation>
    </message>
    <message>
        <source>Nothing to cook here — accepted orders with this station's dishes appear here</source>
        <translation>暂无待做菜品 — 已接单且含本工位菜品的订单会显示在这里</translation>
    </message>
    <message>
        <source>No orders cooking — accepted orders appear here</source>
        <translation>暂无制作中的订单 — 已接单的订单会显示在这里</translation>
    </message>
    <message>
        <source>127.0.0.1 means only this computer: for a screen on another device, set [screens] host in config.toml to this computer's network address.</source>
        <translation>127.0.0.1 表示仅限本机：若屏幕在另一台设备上，请在 config.toml 中把 [screens] host 设为本机的网络地址。</translation>
    </message>
    <message>
        <source>Kitchen screens</source>
        <translation>厨房屏幕</translation>
    </message>
    <message>
        <source>Pair a kitchen screen</source>
        <translation>配对厨房屏幕</translation>
    </message>
    <message>
        <source>Paired</source>
        <translation>配对时间</translation>
    </message>
    <message>
        <source>Paired screens</source>
        <translation>已配对的屏幕</translation>
    </message>
    <message>
        <source>Paired: {name}. Tap the button again for another screen.</source>
        <translation>已配对：{name}。再点按钮可配对下一块屏幕。</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Screen</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <source>Screen address: {address}</source>
        <translation>屏幕地址：{address}</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <source>Tap again to revoke</source>
        <translation>再点一次确认撤销</translation>
    </message>
    <message>
        <source>Tap “Pair a kitchen screen” for a code, then type it on the new screen.</source>
        <translation>点“配对厨房屏幕”获取配对码，然后在新屏幕上输入。</translation>
    </message>
    <message>
        <source>That code has expired. Tap the button for a new one.</source>
        <translation>该配对码已过期。请点按钮获取新的配对码。</translation>
    </message>
    <message>
        <source>The engine listens on every network of this computer.</source>
        <translation>引擎在本机的所有网络上监听。</translation>
    </message>
    <message>
        <source>The screen API is not running, so no screen can pair now.</source>
        <translation>屏幕接口未运行，目前无法配对屏幕。</translation>
    </message>
    <message>
        <source>Valid for 10 minutes, once (until {time}). Type it on the new screen.</source>
        <translation>10 分钟内有效，仅限使用一次（至 {time}）。请在新屏幕上输入。</translation>
    </message>
    <message>
        <source>all stations</source>
        <translation>全部工位</translation>
    </message>
    <message>
        <source>paired</source>
        <translation>已配对</translation>
    </message>
    <message>
        <source>revoked {when}</source>
        <translation>已撤销 {when}</translation>
    </message>
    <message>
        <source>this computer's network address</source>
        <translation>本机的网络地址</translation>
    </message>
    <message>
        <source>{name} can no longer reach the orders.</source>
        <translation>{name} 已无法再访问订单。</translation>
    </message>
    <message>
        <source>{platform} #{number}</source>
        <translation>{platform} #{number}</translation>
    </message>
    <message>
        <source>Refund on order {order}</source>
        <translation>订单 {order} 退款</translation>
    </message>
    <message>
        <source>Accept {n} shown</source>
        <translation>接单(显示的 {n} 单)</translation>
    </message>
</context>
</TS>
